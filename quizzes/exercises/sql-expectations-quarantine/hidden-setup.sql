INSERT INTO bronze_orders VALUES
  (8, 9.99, 'returned'),
  (9, NULL, NULL),
  (10, 45.00, 'shipped');
