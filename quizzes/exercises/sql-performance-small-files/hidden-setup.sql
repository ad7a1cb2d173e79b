INSERT INTO file_inventory VALUES
  ('main.silver.customers', 'part-0003.parquet', 1024),
  ('main.bronze.events', 'part-0001.parquet', 5242880),
  ('main.bronze.events', 'part-0002.parquet', 5242880),
  ('main.bronze.events', 'part-0003.parquet', 5242880),
  ('main.bronze.events', 'part-0004.parquet', 5242880);
