INSERT INTO bronze_orders
SELECT order_id, customer_id, amount, file_name
FROM landing_files
WHERE file_name NOT IN (SELECT DISTINCT source_file FROM bronze_orders);

SELECT source_file, COUNT(*) AS n_rows FROM bronze_orders GROUP BY source_file ORDER BY source_file;
