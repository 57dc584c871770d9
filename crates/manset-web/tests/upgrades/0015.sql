-- Schema 15: growing login delays and two-factor sign-in.
INSERT INTO login_failures (key, failures, last_failure, not_before) VALUES
    ('login-ip:192.0.2.9', 2, 1719565200, 1719565202);
UPDATE users SET totp_secret = 'JBSWY3DPEHPK3PXP', totp_last_step = 57318840 WHERE email = 'editor@example.com';
INSERT INTO recovery_codes (user_id, code_hash, used_at) VALUES
    ((SELECT id FROM users WHERE email = 'editor@example.com'),
     '5d41402abc4b2a76b9719d911017c5925d41402abc4b2a76b9719d911017c592', NULL),
    ((SELECT id FROM users WHERE email = 'editor@example.com'),
     '7d793037a0760186574b0282f2f435e77d793037a0760186574b0282f2f435e7', 1719565200);
