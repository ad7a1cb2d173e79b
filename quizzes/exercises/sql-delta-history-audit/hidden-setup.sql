INSERT INTO products VALUES
  ('T-103', 'toys', 10.00, false),
  ('G-301', 'garden', 2.20, true),
  ('T-104', 'toys', 7.70, false);
