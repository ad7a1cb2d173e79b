CREATE TABLE bronze_orders (order_id BIGINT, amount DOUBLE, country STRING, _rescued_data STRING, source_file STRING);
INSERT INTO bronze_orders VALUES
  (1, 20.0, 'FR', NULL, '/Volumes/main/landing/orders/f1.json'),
  (2, NULL, 'FR', '{"amount":"12,50","_file_path":"/Volumes/main/landing/orders/f1.json"}', '/Volumes/main/landing/orders/f1.json'),
  (3, 8.5, 'DE', NULL, '/Volumes/main/landing/orders/f1.json'),
  (4, 15.0, 'DE', NULL, '/Volumes/main/landing/orders/f2.json'),
  (5, 9.9, 'IT', NULL, '/Volumes/main/landing/orders/f2.json'),
  (6, NULL, NULL, '{"amount":"n/a","Country":"IT","_file_path":"/Volumes/main/landing/orders/f3.json"}', '/Volumes/main/landing/orders/f3.json'),
  (7, NULL, 'ES', '{"amount":"1.234,00","_file_path":"/Volumes/main/landing/orders/f3.json"}', '/Volumes/main/landing/orders/f3.json'),
  (8, 3.0, 'ES', NULL, '/Volumes/main/landing/orders/f3.json');
