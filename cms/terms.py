def split_terms(text: str) -> list[str]:
    """Words an editor typed as a comma-separated list (ASCII or full-width commas), blanks dropped."""
    return [word.strip() for word in text.replace("，", ",").split(",") if word.strip()]
