SELECT table_name, COUNT(*) AS num_files
FROM file_inventory
GROUP BY table_name
ORDER BY table_name;
