CREATE CATALOG crm_pg;
CREATE SCHEMA crm_pg.public;
CREATE TABLE crm_pg.public.customers (customer_id BIGINT, email STRING);
INSERT INTO crm_pg.public.customers VALUES
  (1, 'ada@example.com'), (2, 'ben@new.example.com'), (3, 'cleo@example.com'), (5, 'eve@example.com');
CREATE SCHEMA main.bronze;
CREATE TABLE main.bronze.customers (customer_id BIGINT, email STRING);
INSERT INTO main.bronze.customers VALUES
  (1, 'ada@example.com'), (2, 'ben@example.com'), (3, 'cleo@example.com'), (4, 'dev@example.com');
