CREATE TABLE customers (customer_id BIGINT, name STRING);
INSERT INTO customers VALUES (1, 'Ada'), (2, 'Ben'), (3, 'Cleo'), (4, 'Dev'), (5, 'Eve');
CREATE TABLE orders (order_id BIGINT, customer_id BIGINT, order_date DATE, amount DECIMAL(10,2));
INSERT INTO orders VALUES
  (1, 1, DATE '2024-06-10', 20.00), (2, 1, DATE '2023-11-01', 5.00),
  (3, 2, DATE '2024-02-15', 40.00),
  (4, 3, DATE '2023-12-31', 12.00), (5, 3, DATE '2023-05-01', 9.00),
  (6, 4, DATE '2024-04-01', 7.00);
