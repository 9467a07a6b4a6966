package dev.berth.platform.image;

/** An image that could not be pulled or unpacked; the message names the image and says why. */
public class ImagePullException extends Exception {

    public ImagePullException(String message, Throwable cause) {
        super(message, cause);
    }

    public ImagePullException(String message) {
        super(message);
    }
}
