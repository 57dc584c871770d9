-- The lead image of an article, as JSON (`manset_core::LeadImage`): url,
-- alt, caption, credit, width, height. One column, since it is read and
-- written whole; the media library will point it at its own files.

ALTER TABLE articles ADD COLUMN image TEXT;
