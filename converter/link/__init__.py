"""Stage 5, link: the corpus of published issues, every address and anchor, permanent ids."""
