SELECT customer_id, segment, country
FROM dim_customer
WHERE __START_AT <= TIMESTAMP '2024-03-01 00:00:00'
  AND (__END_AT > TIMESTAMP '2024-03-01 00:00:00' OR __END_AT IS NULL)
ORDER BY customer_id;
