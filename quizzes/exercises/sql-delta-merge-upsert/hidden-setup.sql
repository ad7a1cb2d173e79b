INSERT INTO customer_updates VALUES
  (1, 'ada@new.example.com', 'Bath', TIMESTAMP '2024-03-01 09:00:00'),
  (4, 'dev@old.example.com', 'Bonn', TIMESTAMP '2023-12-31 23:00:00'),
  (6, 'finn@example.com', 'Oslo', TIMESTAMP '2024-03-02 10:00:00');
