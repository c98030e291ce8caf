/** `/volumes/snippets/.gitkeep`: keeps Studio's snippets folder (SNIPPETS_MANAGEMENT_FOLDER). */
export const SNIPPETS_GITKEEP = '';
