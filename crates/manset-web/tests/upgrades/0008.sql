-- Schema 8: the media library.
INSERT INTO media (sha256, original_name, original_path, mime, width, height, bytes, alt, caption, credit, uploaded_by, created_at)
VALUES ('9f2c5e1a7b3d4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6', 'liman.jpg', 'originals/9f/2c5e1a.jpg',
        'image/jpeg', 1600, 1067, 245760, 'Bakü limanı', 'Limanda sabah', 'Fotoğraf: Turan',
        (SELECT id FROM users WHERE email = 'editor@example.com'), 1719565200);
INSERT INTO media_renditions (media_id, width, height, path) VALUES
    ((SELECT id FROM media WHERE original_name = 'liman.jpg'), 640, 427, '2024/06/liman-640.jpg'),
    ((SELECT id FROM media WHERE original_name = 'liman.jpg'), 1280, 853, '2024/06/liman-1280.jpg');
