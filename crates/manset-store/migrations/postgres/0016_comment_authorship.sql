-- Comments: what readers may trust about who wrote one, and why one waits.

-- The role a newsroom member had when they wrote a reply, for the badge
-- readers see beside it ("Editör"). Written only by the newsroom's reply,
-- beside `staff_user_id`; nothing a reader sends reaches it, so no reader's
-- comment can show a badge. A copy, like the name beside it: the badge says
-- what the member was when they wrote, and stays if the account goes.
ALTER TABLE comments ADD COLUMN staff_role TEXT COLLATE "C"
    CHECK (staff_role IN ('contributor', 'author', 'editor', 'admin'));

-- Why the moderation policy held a reader's comment or judged it spam:
-- reason codes separated by spaces (`staff_email links`), shown in the
-- moderation queue. NULL when it was published at once, written in the
-- newsroom, imported, or stored before this version.
ALTER TABLE comments ADD COLUMN held_for TEXT COLLATE "C";

-- Replies written before this version get their member's role as it is now.
-- (An approved reply's update is logged in `changes` by its trigger: its
-- page now shows the badge.)
UPDATE comments SET staff_role = (SELECT role FROM users WHERE users.id = comments.staff_user_id)
WHERE staff_user_id IS NOT NULL;
