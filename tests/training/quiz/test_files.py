"""Reading an uploaded bank: encodings, format guessing and the default category."""

from training.quiz import BankFormat, decode, guess_format, parse_file, write_xlsx_template


def test_decode_utf8_with_bom_and_gb18030():
    assert decode("\ufeff社保".encode()) == "社保"
    assert decode("社保卡怎么挂失".encode("gb18030")) == "社保卡怎么挂失"


def test_guess_format():
    assert guess_format("bank.dat", write_xlsx_template()) is BankFormat.XLSX
    assert guess_format("bank.gift", b"Q") is BankFormat.GIFT
    assert guess_format("bank.txt", b"Q {T}") is BankFormat.GIFT
    assert guess_format("bank.txt", b"Q\nA. a\nB. b\nANSWER: A") is BankFormat.AIKEN


def test_parse_file_gives_the_category_to_questions_without_one():
    source = "First {T}\n\n$CATEGORY: 医保\n\nSecond {F}\n".encode("gb18030")
    first, second = parse_file(source, format=BankFormat.GIFT, category="默认").bank.questions
    assert (first.category, second.category) == ("默认", "医保")
    (aiken,) = parse_file(b"Q\nA. a\nB. b\nANSWER: A\n", format=BankFormat.AIKEN, category="默认").bank.questions
    assert aiken.category == "默认"


def test_undecodable_text_is_an_error():
    parsed = parse_file(b"\xff\xfe\xfa", format=BankFormat.GIFT)
    assert parsed.bank is None
    assert str(parsed.errors[0]) == "1: The file is neither UTF-8 nor GB18030 text."
