-- Schema 6: a lead image, as the JSON of that version's LeadImage.
UPDATE articles SET image = '{"url":"https://cdn.example/zirve.jpg","alt":"Zirve salonu","caption":"Açılış oturumu","credit":"Fotoğraf: AA","width":1200,"height":800}'
WHERE slug = 'bakude-enerji-zirvesi';
