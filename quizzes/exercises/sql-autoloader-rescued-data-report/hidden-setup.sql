INSERT INTO bronze_orders VALUES
  (9, NULL, 'PT', '{"amount":"abc","_file_path":"/Volumes/main/landing/orders/f2.json"}', '/Volumes/main/landing/orders/f2.json'),
  (10, 4.0, 'PT', NULL, '/Volumes/main/landing/orders/f4.json'),
  (11, NULL, 'NL', '{"coupon":"X1","_file_path":"/Volumes/main/landing/orders/f4.json"}', '/Volumes/main/landing/orders/f4.json');
