CREATE TABLE landing_files (file_name STRING, order_id BIGINT, customer_id BIGINT, amount DECIMAL(10,2));
INSERT INTO landing_files VALUES
  ('orders_001.json', 1, 10, 20.00), ('orders_001.json', 2, 11, 35.50),
  ('orders_002.json', 3, 12, 12.00),
  ('orders_003.json', 4, 10, 8.25), ('orders_003.json', 5, 13, 99.00), ('orders_003.json', 6, 14, 5.10),
  ('orders_004.json', 7, 11, 44.40);
CREATE TABLE bronze_orders (order_id BIGINT, customer_id BIGINT, amount DECIMAL(10,2), source_file STRING);
INSERT INTO bronze_orders VALUES
  (1, 10, 20.00, 'orders_001.json'), (2, 11, 35.50, 'orders_001.json'),
  (3, 12, 12.00, 'orders_002.json');
