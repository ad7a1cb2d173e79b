-- Re-insert the rows removed by version 3 here.

SELECT * FROM orders ORDER BY order_id;
