INSERT INTO silver_customers VALUES
  (7, 'gus@example', 15),
  (NULL, NULL, NULL),
  (9, 'ida@example.com', 64);
