-- 1. UPDATE toys prices
-- 2. DELETE discontinued products
DESCRIBE HISTORY products LIMIT 2;
