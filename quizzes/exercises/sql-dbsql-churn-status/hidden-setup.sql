INSERT INTO customers VALUES (6, 'Finn'), (7, 'Gus');
INSERT INTO orders VALUES
  (7, 2, DATE '2024-05-20', 15.00),
  (8, 6, DATE '2024-01-02', 3.00),
  (9, 5, DATE '2022-12-24', 99.00);
