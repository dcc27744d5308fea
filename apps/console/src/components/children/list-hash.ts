/** Where the children list keeps its last address (search and filters), so a record's "back" returns to it. */
export const LIST_HASH_KEY = 'console.children.list-hash';
