SELECT table_name,
       COUNT(*) AS num_files,
       count_if(size_bytes < 33554432) AS small_files,
       ROUND(AVG(size_bytes) / 1048576, 1) AS avg_file_mb
FROM file_inventory
GROUP BY table_name
HAVING 2 * count_if(size_bytes < 33554432) > COUNT(*)
ORDER BY small_files DESC, table_name;
