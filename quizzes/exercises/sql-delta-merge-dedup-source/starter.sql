-- This fails: a customer appears several times in the source. Fix the source.
MERGE INTO customers AS t
USING customer_changes AS s
ON t.customer_id = s.customer_id
WHEN MATCHED THEN UPDATE SET email = s.email, city = s.city, updated_at = s.changed_at
WHEN NOT MATCHED THEN INSERT (customer_id, email, city, updated_at) VALUES (s.customer_id, s.email, s.city, s.changed_at);

SELECT * FROM customers ORDER BY customer_id;
