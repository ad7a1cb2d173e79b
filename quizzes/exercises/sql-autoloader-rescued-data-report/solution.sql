SELECT source_file,
       COUNT(*) AS total_rows,
       COUNT(_rescued_data) AS rescued_rows,
       ROUND(100.0 * COUNT(_rescued_data) / COUNT(*), 1) AS pct_rescued
FROM bronze_orders
GROUP BY source_file
HAVING COUNT(_rescued_data) > 0;
