UPDATE products SET price = price * 1.10 WHERE category = 'toys';
DELETE FROM products WHERE discontinued = true;
DESCRIBE HISTORY products LIMIT 2;
