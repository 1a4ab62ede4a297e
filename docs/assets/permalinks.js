/* Clause permalinks, 复制引用 (copy citation) and highlighting of the linked clause. */
