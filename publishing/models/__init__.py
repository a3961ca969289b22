from .channels import Channel
from .delivery import ChannelVisit, Delivery, DeliveryTry
from .packages import Package, PackageFile, Publication

__all__ = ["Channel", "ChannelVisit", "Delivery", "DeliveryTry", "Package", "PackageFile", "Publication"]
