INSERT INTO crm_pg.public.customers VALUES (6, 'finn@example.com'), (7, 'gus@example.com');
INSERT INTO main.bronze.customers VALUES (7, 'gus@old.example.com'), (8, 'hana@example.com');
