from wagtail.test.utils.form_data import nested_form_data, streamfield


def listblock(items: list[dict]) -> dict:
    data = {"count": len(items)}
    for i, value in enumerate(items):
        data[str(i)] = {"value": value, "deleted": "", "order": i, "id": ""}
    return data


def page_form(
    *, title: str, summary: str, alt: str, category_id: int, image_id: int, video_id: int | None = None
) -> dict:
    """POST data for the tutorial page editor, the shape Wagtail's StreamField widgets send."""
    return nested_form_data(
        {
            "title": title,
            "slug": "new-tutorial",
            "summary": summary,
            "category": category_id,
            "audience": "everyone",
            "estimated_minutes": 5,
            "last_reviewed": "2026-11-01",
            "steps": streamfield(
                [
                    (
                        "step",
                        {
                            "title": "打开应用",
                            "text": "点击首页的图标。",
                            "screenshots": listblock([{"image": image_id, "alt": alt}]),
                            "tip": {"kind": "tip", "text": ""},
                            "video": video_id or "",
                            "video_start": "",
                        },
                    )
                ]
            ),
            "related_links": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 1000},
            "comments": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 1000},
        }
    )
