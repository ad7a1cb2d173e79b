SELECT * FROM customers VERSION AS OF 1
EXCEPT
SELECT * FROM customers
ORDER BY customer_id;
