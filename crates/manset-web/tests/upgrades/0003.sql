-- Schema 3: newsroom accounts, a session, a throttled login.
INSERT INTO users (email, name, role, password_hash, created_at, disabled_at) VALUES
    ('editor@example.com', 'Elif Editör', 'editor', '$argon2id$v=19$m=19456,t=2,p=1$uE5+8V+Kp8kEWqK1tZwA4A$XViadgv4klmH0hOtjjK1sOj0PKdy/RlAzB47R1cVV8U', 1719565200, NULL),
    ('eski@example.com', 'Eski Çalışan', 'author', '$argon2id$v=19$m=19456,t=2,p=1$uE5+8V+Kp8kEWqK1tZwA4A$XViadgv4klmH0hOtjjK1sOj0PKdy/RlAzB47R1cVV8U', 1719565200, 1719651600);
INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES
    ('fdb807dac6a1a151f64b39328e61487fa357a859d49040a73f08bc183ae3f689',
     (SELECT id FROM users WHERE email = 'editor@example.com'), 1719565200, 4102444800, 1719565200);
INSERT INTO login_failures (key, failures, last_failure, locked_until) VALUES
    ('email:editor@example.com', 3, 1719565200, 1719566100);
