"""StreamField blocks of the participation pages: survey questions, guests, transcript, media."""

from __future__ import annotations

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

SINGLE, MULTIPLE, TEXT = "single_choice", "multiple_choice", "text"


class ChoiceQuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label="题目", max_length=200)
    required = blocks.BooleanBlock(label="必答", required=False, default=True)
    options = blocks.ListBlock(blocks.CharBlock(label="选项", max_length=100), label="选项", min_num=2)


class SingleChoiceBlock(ChoiceQuestionBlock):
    class Meta:
        label = "单选题"
        icon = "radio-full"


class MultipleChoiceBlock(ChoiceQuestionBlock):
    max_choices = blocks.IntegerBlock(
        label="最多选几项", required=False, min_value=1, help_text="留空则不限。"
    )

    class Meta:
        label = "多选题"
        icon = "tasks"


class TextQuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label="题目", max_length=200)
    required = blocks.BooleanBlock(label="必答", required=False, default=False)
    max_length = blocks.IntegerBlock(label="最多字数", default=500, min_value=10, max_value=5000)

    class Meta:
        label = "填空题（文字）"
        icon = "edit"


class QuestionsBlock(blocks.StreamBlock):
    single_choice = SingleChoiceBlock()
    multiple_choice = MultipleChoiceBlock()
    text = TextQuestionBlock()


class GuestBlock(blocks.StructBlock):
    name = blocks.CharBlock(label="姓名", max_length=50)
    title = blocks.CharBlock(label="职务", max_length=100, required=False)

    class Meta:
        label = "嘉宾"
        icon = "user"


class TranscriptBlock(blocks.StreamBlock):
    question = blocks.StructBlock(
        [
            ("asker", blocks.CharBlock(label="提问人", max_length=50, default="网友")),
            ("text", blocks.TextBlock(label="问题")),
        ],
        label="问",
        icon="help",
    )
    answer = blocks.StructBlock(
        [
            ("speaker", blocks.CharBlock(label="回答人", max_length=50)),
            ("text", blocks.RichTextBlock(label="回答", features=["bold", "link", "ol", "ul"])),
        ],
        label="答",
        icon="openquote",
    )
    host = blocks.StructBlock(
        [("text", blocks.TextBlock(label="主持人"))],
        label="主持人",
        icon="user",
    )


class MediaBlock(blocks.StreamBlock):
    image = blocks.StructBlock(
        [
            ("image", ImageChooserBlock(label="图片")),
            ("caption", blocks.CharBlock(label="说明", required=False)),
        ],
        label="图片",
        icon="image",
    )
    video = blocks.StructBlock(
        [
            ("document", DocumentChooserBlock(label="视频文件")),
            ("caption", blocks.CharBlock(label="说明", required=False)),
        ],
        label="视频",
        icon="media",
    )
