-- Compare version 1 of customers with the current table.
SELECT * FROM customers ORDER BY customer_id;
