INSERT INTO customers VALUES (6, 'finn@example.com', 'NL');
INSERT INTO orders VALUES (107, 6, 3.30), (108, 5, 4.40), (109, 1, 8.80), (110, 4, 2.00);
INSERT INTO erasure_requests VALUES (5, DATE '2024-06-03', 'open'), (6, DATE '2024-06-03', 'open');
