CREATE TABLE orders (order_id BIGINT, customer_id BIGINT, amount DECIMAL(10,2), status STRING);
INSERT INTO orders VALUES
  (1, 10, 25.00, 'pending'),
  (2, 11, 12.50, 'shipped'),
  (3, 12, 99.90, 'pending'),
  (4, 10, 5.25, 'cancelled'),
  (5, 13, 42.00, 'pending'),
  (6, 14, 18.75, 'shipped');
UPDATE orders SET status = 'shipped' WHERE order_id = 1;
DELETE FROM orders WHERE status = 'pending';
INSERT INTO orders VALUES (7, 15, 61.00, 'pending'), (8, 11, 7.40, 'shipped');
