-- Append the not-yet-loaded files to bronze_orders here.

SELECT source_file, COUNT(*) AS n_rows FROM bronze_orders GROUP BY source_file ORDER BY source_file;
