INSERT INTO customer_changes VALUES
  (1, 'ada@x.example.com', 'Bath', TIMESTAMP '2024-02-11 09:00:00'),
  (1, 'ada@y.example.com', 'Kent', TIMESTAMP '2024-02-11 08:00:00'),
  (3, 'cleo@later.example.com', 'Nice', TIMESTAMP '2024-02-12 12:00:00'),
  (5, 'eve@example.com', 'Rome', TIMESTAMP '2024-02-12 10:00:00');
