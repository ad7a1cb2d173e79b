SELECT customer_id, segment, country
FROM dim_customer
WHERE __END_AT IS NULL
ORDER BY customer_id;
