CREATE TABLE bronze_orders (order_id BIGINT, amount DECIMAL(10,2), status STRING);
INSERT INTO bronze_orders VALUES
  (1, 20.00, 'placed'),
  (2, -5.00, 'placed'),
  (NULL, 12.00, 'shipped'),
  (4, NULL, 'shipped'),
  (5, 7.50, 'lost'),
  (6, 3.00, NULL),
  (7, 0.00, 'cancelled'),
  (NULL, -1.00, 'unknown');
