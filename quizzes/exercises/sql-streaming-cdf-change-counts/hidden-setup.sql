UPDATE orders SET status = 'cancelled' WHERE order_id = 4;
DELETE FROM orders WHERE status = 'shipped';
