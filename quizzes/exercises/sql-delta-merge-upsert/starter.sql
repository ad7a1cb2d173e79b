-- Write the MERGE here.

SELECT * FROM customers ORDER BY customer_id;
