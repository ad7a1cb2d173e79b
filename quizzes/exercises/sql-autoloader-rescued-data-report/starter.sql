SELECT source_file, COUNT(*) AS total_rows
FROM bronze_orders
GROUP BY source_file;
