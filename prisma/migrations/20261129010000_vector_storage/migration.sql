-- Keep vectors inside the row (compressed if possible, moved out only when a row cannot fit a
-- page): an exact scan then reads each vector with the row instead of one TOAST lookup per row.
-- A 512-dimension vector is 2 KB, past the 2 KB threshold at which EXTENDED storage moves it out.
ALTER TABLE "memories" ALTER COLUMN "embedding" SET STORAGE MAIN;
