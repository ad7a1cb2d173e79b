INSERT INTO landing_files VALUES
  ('orders_005.json', 8, 15, 19.90), ('orders_005.json', 9, 10, 3.30),
  ('orders_006.json', 10, 16, 70.00);
