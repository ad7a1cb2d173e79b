MERGE INTO customers AS t
USING (
  SELECT customer_id, email, city, changed_at
  FROM customer_changes
  QUALIFY ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY changed_at DESC) = 1
) AS s
ON t.customer_id = s.customer_id
WHEN MATCHED THEN UPDATE SET email = s.email, city = s.city, updated_at = s.changed_at
WHEN NOT MATCHED THEN INSERT (customer_id, email, city, updated_at) VALUES (s.customer_id, s.email, s.city, s.changed_at);

SELECT * FROM customers ORDER BY customer_id;
