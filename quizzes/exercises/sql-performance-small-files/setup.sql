CREATE TABLE file_inventory (table_name STRING, file_path STRING, size_bytes BIGINT);
INSERT INTO file_inventory VALUES
  ('main.bronze.clicks', 'part-0001.parquet', 40960),
  ('main.bronze.clicks', 'part-0002.parquet', 51200),
  ('main.bronze.clicks', 'part-0003.parquet', 30720),
  ('main.bronze.clicks', 'part-0004.parquet', 134217728),
  ('main.silver.orders', 'part-0001.parquet', 268435456),
  ('main.silver.orders', 'part-0002.parquet', 10485760),
  ('main.silver.orders', 'part-0003.parquet', 201326592),
  ('main.gold.daily', 'part-0001.parquet', 1048576),
  ('main.gold.daily', 'part-0002.parquet', 2097152),
  ('main.silver.customers', 'part-0001.parquet', 16777216),
  ('main.silver.customers', 'part-0002.parquet', 67108864);
