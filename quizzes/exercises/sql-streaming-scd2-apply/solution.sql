INSERT INTO dim_customer
SELECT c.customer_id, c.city, c.changed_at, CAST(NULL AS TIMESTAMP), true
FROM changes c
LEFT JOIN dim_customer d ON d.customer_id = c.customer_id AND d.is_current
WHERE d.customer_id IS NULL OR d.city <> c.city;

MERGE INTO dim_customer AS d
USING changes AS c
ON d.customer_id = c.customer_id AND d.is_current AND d.city <> c.city AND d.valid_from < c.changed_at
WHEN MATCHED THEN UPDATE SET valid_to = c.changed_at, is_current = false;

SELECT * FROM dim_customer ORDER BY customer_id, valid_from;
