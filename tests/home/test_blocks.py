"""Every body block renders through its component, accessibly."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.rich_text import RichText

from home.blocks import BodyBlock, VideoBlock
from tests.factories import add_article, add_document, add_image, column, provision

pytestmark = pytest.mark.django_db


def test_each_block_renders_its_component(client):
    provision("www", "portal")
    profile = provision("edu")
    image = add_image(profile, "校园图片")
    document = add_document(profile, "招生简章")
    body = BodyBlock().to_python(
        [
            {"type": "heading", "value": "一、总体要求"},
            {"type": "paragraph", "value": "<p>正文第一段。</p>"},
            {
                "type": "figure",
                "value": {
                    "image": {"image": image.pk, "decorative": False, "alt_text": "新校区教学楼"},
                    "caption": "新校区",
                },
            },
            {
                "type": "table",
                "value": {
                    "data": [["任务", "时限"], ["制定方案", "6月底"]],
                    "first_row_is_table_header": True,
                },
            },
            {"type": "attachments", "value": {"heading": "附件", "documents": [document.pk]}},
            {"type": "quote", "value": {"quote": "民生无小事", "source": "工作会议"}},
            {
                "type": "callout",
                "value": {"tone": "warning", "text": "<p>报名截止前请提交材料。</p>"},
            },
            {
                "type": "faq",
                "value": {"items": [{"question": "何时报名？", "answer": "<p>每年三月。</p>"}]},
            },
        ]
    )
    article = add_article(column(profile, "gzdt"), "区块展示", body=body)
    html = client.get(article.url_path.removeprefix("/edu"), HTTP_HOST="edu.localhost")
    html = html.content.decode()
    for fragment in [
        "<h2>一、总体要求</h2>",
        "正文第一段。",
        'alt="新校区教学楼"',
        'loading="lazy"',
        "<figcaption>新校区</figcaption>",
        "制定方案",
        f'href="{document.url}"',
        "民生无小事",
        'role="note"',
        "重要提醒",
        "<dt>何时报名？</dt>",
    ]:
        assert fragment in html, fragment
    assert isinstance(body[1].value, RichText)


def test_video_needs_mp4_and_webvtt_captions():
    provision("www", "portal")
    profile = provision("edu")
    pdf = add_document(profile, "不是视频")
    block = VideoBlock()
    value = block.to_python({"video": pdf.pk, "captions": pdf.pk, "title": "政策解读视频"})
    with pytest.raises(ValidationError) as error:
        block.clean(value)
    assert {"video", "captions"} <= set(error.value.block_errors)
