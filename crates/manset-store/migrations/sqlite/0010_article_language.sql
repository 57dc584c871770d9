-- The language of an article's text ('tr', 'en'), when it is not the site's
-- own: it decides how search analyzes the article and what `<html lang>`
-- its page declares. NULL means the site language (the setting site.lang),
-- so changing that setting moves every article that never chose.

ALTER TABLE articles ADD COLUMN lang TEXT;
