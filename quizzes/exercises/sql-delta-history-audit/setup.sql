CREATE TABLE products (sku STRING, category STRING, price DECIMAL(10,2), discontinued BOOLEAN);
INSERT INTO products VALUES
  ('T-100', 'toys', 19.99, false),
  ('T-101', 'toys', 5.00, false),
  ('B-200', 'books', 12.50, false),
  ('B-201', 'books', 8.00, true),
  ('G-300', 'garden', 45.00, false),
  ('T-102', 'toys', 3.50, true);
